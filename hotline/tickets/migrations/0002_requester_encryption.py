"""Requester personal fields become AES-GCM ciphertext bound to a per-row UUID; existing rows are encrypted here.

Order matters: the columns widen to text and every row gets its own `uid` before any value is encrypted (a single
AddField default would give every row the same UUID), and only then do the fields become EncryptedTextField.
"""

import uuid

from django.db import migrations, models

import hotline.vault.fields

PERSONAL = ("name", "phone", "id_number", "address", "ip")


def encrypt_existing(apps, schema_editor):
    from hotline.vault.crypto import FORMAT, binding, encrypt
    from hotline.vault.keys import phone_lookup_hash

    Requester = apps.get_model("tickets", "Requester")
    for row in Requester.objects.order_by("pk").iterator(chunk_size=500):
        uid = uuid.uuid4()
        changes = {"uid": uid, "phone_hash": phone_lookup_hash(row.phone)}
        for column in PERSONAL:
            value = getattr(row, column)
            if value and not value.startswith(FORMAT + ":"):
                changes[column] = encrypt(value, binding("tickets_requester", column, uid))
        Requester.objects.filter(pk=row.pk).update(**changes)


def decrypt_existing(apps, schema_editor):
    from hotline.vault.crypto import FORMAT, binding, decrypt

    Requester = apps.get_model("tickets", "Requester")
    for row in Requester.objects.order_by("pk").iterator(chunk_size=500):
        changes = {}
        for column in PERSONAL:
            value = getattr(row, column)
            if value and value.startswith(FORMAT + ":"):
                changes[column] = decrypt(value, binding("tickets_requester", column, row.uid))
        if changes:
            Requester.objects.filter(pk=row.pk).update(**changes)


def _encrypted(label):
    return hotline.vault.fields.EncryptedTextField(blank=True, default="", verbose_name=label)


class Migration(migrations.Migration):

    dependencies = [
        ("tickets", "0001_initial"),
    ]

    operations = [
        migrations.AddField(model_name="requester", name="uid", field=models.UUIDField(editable=False, null=True)),
        migrations.AlterField(model_name="requester", name="name",
                              field=models.TextField(blank=True, default="", verbose_name="姓名")),
        migrations.AlterField(model_name="requester", name="phone",
                              field=models.TextField(blank=True, default="", verbose_name="电话")),
        migrations.AlterField(model_name="requester", name="id_number",
                              field=models.TextField(blank=True, default="", verbose_name="证件号码")),
        migrations.AlterField(model_name="requester", name="address",
                              field=models.TextField(blank=True, default="", verbose_name="住址")),
        migrations.AddField(model_name="requester", name="ip",
                            field=models.TextField(blank=True, default="", verbose_name="IP地址")),
        migrations.RunPython(encrypt_existing, decrypt_existing),
        migrations.AlterField(model_name="requester", name="uid",
                              field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
        migrations.AlterField(model_name="requester", name="name", field=_encrypted("姓名")),
        migrations.AlterField(model_name="requester", name="phone", field=_encrypted("电话")),
        migrations.AlterField(model_name="requester", name="id_number", field=_encrypted("证件号码")),
        migrations.AlterField(model_name="requester", name="address", field=_encrypted("住址")),
        migrations.AlterField(model_name="requester", name="ip", field=_encrypted("IP地址")),
    ]
