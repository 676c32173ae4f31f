from django.urls import path

from . import views

app_name = "board"

urlpatterns = [
    path("", views.QuestionListView.as_view(), name="list"),
    path("ask/", views.QuestionAskView.as_view(), name="ask"),
    path("similar/", views.similar, name="similar"),
    path("unanswered/", views.UnansweredView.as_view(), name="unanswered"),
    path("<int:pk>/", views.QuestionDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.QuestionEditView.as_view(), name="edit"),
    path("<int:pk>/hide/", views.question_hide, name="hide"),
    path("<int:pk>/vote/", views.question_vote, name="vote"),
    path("<int:pk>/answer/", views.AnswerPostView.as_view(), name="answer"),
    path("<int:pk>/comment/", views.CommentAddView.as_view(), name="comment"),
    path("<int:pk>/ask/", views.AskPeopleView.as_view(), name="ask_people"),
    path("answers/<int:pk>/edit/", views.AnswerEditView.as_view(), name="answer_edit"),
    path("answers/<int:pk>/hide/", views.answer_hide, name="answer_hide"),
    path("answers/<int:pk>/accept/", views.answer_accept, name="accept"),
    path("answers/<int:pk>/vote/", views.answer_vote, name="answer_vote"),
]
