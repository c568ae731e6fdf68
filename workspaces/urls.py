from django.urls import path

from workspaces import views

urlpatterns = [
    path("", views.home, name="home"),
    path("w/<slug:slug>/members/", views.member_list, name="member_list"),
    path("w/<slug:slug>/members/<int:pk>/", views.member_update, name="member_update"),
]
