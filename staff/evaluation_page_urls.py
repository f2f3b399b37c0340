from django.urls import path

from . import evaluation_views

urlpatterns = [
    path("evaluations/", evaluation_views.evaluation_list, name="evaluations"),
    path("evaluations/new/", evaluation_views.evaluation_new, name="evaluation-new"),
    path("evaluations/<int:pk>/", evaluation_views.evaluation_detail, name="evaluation-detail"),
]
