"""A second URLconf for ``test_links``: the library's record page at another address."""

from django.urls import include, path

library = ([path("<int:pk>/", lambda request, pk: None, name="detail")], "library")

urlpatterns = [path("elsewhere/", include(library))]
