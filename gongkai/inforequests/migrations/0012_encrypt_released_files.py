"""Seal the files disclosed with a reply (``ReleasedFile``) that were stored as
uploaded, before they were encrypted at rest like the application's attachments
(``gongkai/security/files.py``). Each file keeps its name (the associated data of
the encryption); a missing or already encrypted file is left alone. Reversing
leaves them encrypted: the download services read both forms."""

from django.db import migrations


def encrypt_released_files(apps, schema_editor):
    from gongkai.security.files import seal_plain_file

    released = apps.get_model("inforequests", "ReleasedFile")
    names = released.objects.exclude(file="").values_list("file", flat=True)
    for name in names.iterator(chunk_size=500):
        seal_plain_file(name)


class Migration(migrations.Migration):
    dependencies = [("inforequests", "0011_applicant_contact_digests")]

    operations = [
        migrations.RunPython(encrypt_released_files, migrations.RunPython.noop),
    ]
