"""Files people upload, kept in private storage and served only through permission-checked views."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class StoredFile(models.Model):
    """One uploaded file of a school. Its path is random; the person's file name is kept apart.

    Feature apps point at it (evidence, post images, imported policies) and serve it through their
    own access gateway with `socialgov.uploads.serving.serve_stored_file`.
    """

    school = models.ForeignKey(
        "people.School", on_delete=models.PROTECT, related_name="stored_files"
    )
    file = models.FileField(max_length=255, editable=False)
    original_name = models.CharField(
        max_length=255, help_text="The name the file had when it was uploaded (display only)."
    )
    content_type = models.CharField(max_length=100, help_text="Detected from the content.")
    size = models.PositiveBigIntegerField(help_text="Bytes stored.")
    sha256 = models.CharField("SHA-256", max_length=64, help_text="Of the bytes stored.")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="uploaded_files"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["school", "uploaded_at"], name="storedfile_school_time")]
        constraints = [
            models.UniqueConstraint(fields=["file"], name="storedfile_path_once"),
            models.CheckConstraint(condition=Q(size__gt=0), name="storedfile_not_empty"),
        ]

    def __str__(self) -> str:
        return self.original_name
