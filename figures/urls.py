from django.urls import path

from figures import views

urlpatterns = [
    path("w/<slug:slug>/figures/", views.figures, name="figures"),
    path("w/<slug:slug>/figures/reconcile/", views.figures_reconcile, name="figures_reconcile"),
    path("w/<slug:slug>/figures/needing-scope/", views.figures_unscoped, name="figures_unscoped"),
    # rank: a category's place on the page
    path(
        "w/<slug:slug>/figures/categories/<int:rank>/",
        views.figures_category,
        name="figures_category",
    ),
]
