"""Back-office URLs of the dialogues app (mounted under /office/dialogues/)."""

from django.urls import path

from danvan.dialogues.views import office

app_name = "dialogues"
urlpatterns = [
    path("", office.dialogue_list, name="list"),
    path("new/", office.dialogue_create, name="create"),
    path("commitments/", office.commitment_list, name="commitments"),
    path("commitments/<int:pk>/", office.commitment_detail, name="commitment"),
    path("counts/", office.counts, name="counts"),
    path("questions/<int:pk>/moderate/", office.question_moderate, name="question-moderate"),
    path("questions/<int:pk>/answer/", office.question_answer, name="question-answer"),
    path("<int:pk>/", office.dialogue_detail, name="detail"),
    path("<int:pk>/questions/", office.room_question, name="room-question"),
    path("<int:pk>/held/", office.held, name="held"),
    path("<int:pk>/minutes/", office.minutes_issue, name="minutes-issue"),
    path("<int:pk>/minutes.<str:fmt>", office.minutes, name="minutes"),
    path("<int:pk>/commitments/", office.commitment_add, name="commitment-add"),
    path("<int:pk>/cancel/", office.cancel, name="cancel"),
]
