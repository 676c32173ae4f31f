from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.forms import BEModelForm, PersonField, PortalForm, active_people
from apps.core.text import strip_invisible

from .models import Engagement, Expert, ExpertiseArea, ExpertKind, ExpertStatus

MAX_NEW_AREAS = 20


class ExpertSuggestForm(BEModelForm):
    """What any staff member fills in to suggest an expert."""

    class Meta:
        model = Expert
        fields = [
            "kind",
            "person",
            "title",
            "first_name",
            "last_name",
            "position",
            "organisation",
            "expertise",
            "topics",
            "phone",
            "email",
            "contact_note",
            "bio",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "title": forms.TextInput(attrs={"list": "thai-titles"}),
            "expertise": forms.CheckboxSelectMultiple,
            "topics": forms.Textarea(attrs={"rows": 4}),
            "bio": forms.Textarea(attrs={"rows": 4}),
        }
        field_classes = {"person": PersonField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = active_people()
        self.fields["person"].empty_label = _("None (not one of our staff)")
        self.fields["expertise"].queryset = ExpertiseArea.objects.all()
        # For our own staff the names may come from their account (see ``clean``).
        self.fields["first_name"].required = False
        self.fields["first_name"].help_text = _(
            "Leave the name empty for a staff member to take it from their account."
        )

    def clean(self):
        cleaned = super().clean()
        kind, person = cleaned.get("kind"), cleaned.get("person")
        if person is not None and kind != ExpertKind.INTERNAL:
            self.add_error("person", _("Only internal staff are linked to a staff account."))
        if person is not None and kind == ExpertKind.INTERNAL:
            self._fill_from_account(cleaned, person)
            live = Expert.objects.filter(person=person).exclude(status=ExpertStatus.REJECTED)
            if self.instance.pk:
                live = live.exclude(pk=self.instance.pk)
            if live.exists():
                self.add_error(
                    "person", _("This staff member already has an entry in the directory.")
                )
        if not cleaned.get("first_name"):
            self.add_error(
                "first_name", _("Enter the first name, or choose the staff member's account.")
            )
        return cleaned

    @staticmethod
    def _fill_from_account(cleaned: dict, person: User) -> None:
        if cleaned.get("first_name"):
            return
        cleaned["title"] = cleaned.get("title") or person.title
        cleaned["first_name"] = person.first_name
        cleaned["last_name"] = cleaned.get("last_name") or person.last_name
        cleaned["position"] = cleaned.get("position") or person.position
        cleaned["phone"] = cleaned.get("phone") or person.phone
        cleaned["email"] = cleaned.get("email") or person.email

    def expert_fields(self) -> dict:
        """The entry's own fields, for the services (areas travel separately)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in {"expertise", "new_areas"}
        }


class ExpertForm(ExpertSuggestForm):
    """The KM office's form: it may also add new expertise areas."""

    new_areas = forms.CharField(
        label=_("New expertise areas"),
        required=False,
        max_length=500,
        help_text=_("Areas not in the list above, separated by commas."),
    )

    field_order = [*ExpertSuggestForm.Meta.fields[:8], "new_areas"]

    def clean_new_areas(self) -> list[str]:
        names = [
            strip_invisible(" ".join(name.split()))
            for name in self.cleaned_data["new_areas"].split(",")
        ]
        too_long = [name for name in names if len(name) > 100]
        if too_long:
            raise forms.ValidationError(
                _("An area name has at most 100 characters: %(name)s") % {"name": too_long[0]}
            )
        names = [name for name in names if name]
        if len(names) > MAX_NEW_AREAS:
            raise forms.ValidationError(
                _("Add at most %(limit)s new areas at a time (%(count)s were given).")
                % {"limit": MAX_NEW_AREAS, "count": len(names)}
            )
        return names


class EngagementForm(BEModelForm):
    class Meta:
        model = Engagement
        fields = ["kind", "title", "held_on", "ends_on", "organiser", "place", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class ReviewForm(PortalForm):
    note = forms.CharField(
        label=_("Note to the suggester"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
