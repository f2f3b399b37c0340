from django.urls import path

from . import views

urlpatterns = [
    path("sop/tasks/<int:task_id>/done/", views.task_done, name="sop-task-done"),
]
