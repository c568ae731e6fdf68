"""The Django admin: read-only, for staff only (writes must go through the
services and their audit trail)."""

from django.urls import reverse

from claims.models import Claim


def test_staff_can_read_the_claims_changelist_but_not_change_it(client, claim, analyst):
    analyst.is_staff = True
    analyst.save()
    client.force_login(analyst)
    response = client.get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 200
    assert "More than 1,000 killed" in response.content.decode()
    assert client.get(reverse("admin:claims_claim_add")).status_code == 403
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    response = client.post(url, {"statement": "changed"})
    assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).statement == "More than 1,000 killed"


def test_members_who_are_not_staff_are_sent_to_the_admin_login(client, claim, analyst):
    client.force_login(analyst)
    response = client.get(reverse("admin:claims_claim_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
