from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sites", "0003_remove_instance_wide_default_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="municipalitysettings",
            name="data_licence",
            field=models.CharField(
                choices=[
                    ("dl-by-de/2.0", "Datenlizenz Deutschland – Namensnennung – Version 2.0"),
                    ("dl-zero-de/2.0", "Datenlizenz Deutschland – Zero – Version 2.0"),
                    ("cc-by/4.0", "Creative Commons Namensnennung 4.0 International (CC BY 4.0)"),
                    (
                        "cc-by-sa/4.0",
                        "Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 4.0 (CC BY-SA 4.0)",
                    ),
                    ("cc-zero", "Creative Commons Zero (CC0 1.0)"),
                    ("odbl", "Open Data Commons Open Database License (ODbL)"),
                    ("officialWork", "Amtliches Werk, lizenzfrei nach § 5 UrhG"),
                ],
                default="dl-by-de/2.0",
                help_text="Lizenz, unter der der Datenkatalog und die Exporte unter /opendata/ diese Inhalte anbieten.",
                max_length=40,
                verbose_name="Lizenz der offenen Daten",
            ),
        ),
    ]
