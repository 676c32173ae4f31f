from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.forms import BEModelForm, StoredFileInput

from .models import User
from .photos import check_photo
from .services import PROFILE_FIELDS


class ProfileForm(BEModelForm):
    """What a person may change about themselves."""

    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG, GIF or WebP; it is resized to a small square."),
        widget=StoredFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )

    class Meta:
        model = User
        fields = ["title", "first_name", "last_name", "position", "unit", "phone", "email", "photo"]
        widgets = {"title": forms.TextInput(attrs={"list": "thai-titles"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.photo:
            widget = self.fields["photo"].widget
            widget.download_url = reverse("accounts:photo", args=[self.instance.username])
            widget.download_name = _("Current photo")

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo is False:  # "clear" ticked
            return photo
        if photo and photo is not self.initial.get("photo"):
            check_photo(photo)  # the service resizes it
        return photo

    def profile_fields(self) -> dict:
        """The profile's own fields, for ``profile_update`` (the photo travels separately)."""
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}

    def new_photo(self):
        """The photo uploaded with this form, if any (not the one the person had)."""
        photo = self.cleaned_data.get("photo")
        return photo if photo and photo is not self.initial.get("photo") else None

    def cleared_photo(self) -> bool:
        """Whether "clear" was ticked for the photo."""
        return self.cleaned_data.get("photo") is False
