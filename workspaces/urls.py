from django.urls import path

from workspaces import views
from workspaces.converters import id_converter

# Object ids in paths are <id:...>: 1 to 2**63 - 1, anything else is a 404.
id_converter()

urlpatterns = [
    path("", views.home, name="home"),
    path("w/<slug:slug>/members/", views.member_list, name="member_list"),
    path("w/<slug:slug>/members/<id:pk>/", views.member_update, name="member_update"),
]
