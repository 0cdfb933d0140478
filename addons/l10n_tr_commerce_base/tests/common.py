"""Test helpers shared by the Turkish commerce addons' Odoo tests."""

import io

import polib

from odoo.tools.misc import file_path
from odoo.tools.translate import trans_export


class TurkishTranslationCheck:
    """Every term Odoo exports for ``MODULE`` is in its tr.po, where Odoo applies it."""

    MODULE = None
    # Odoo's test loader only runs test methods defined on the test class itself
    allow_inherited_tests_method = True

    def test_every_exported_term_is_translated(self):
        exported = io.BytesIO()
        trans_export(False, [self.MODULE], exported, "po", self.env.cr)
        translated = polib.pofile(file_path(f"{self.MODULE}/i18n/tr.po"))
        ours = {entry.msgid: entry for entry in translated if entry.msgstr}
        missing = [
            f"{entry.msgid!r} ({place[0]})"
            for entry in polib.pofile(exported.getvalue().decode())
            for place in entry.occurrences
            if place not in getattr(ours.get(entry.msgid), "occurrences", ())
        ]
        self.assertFalse(missing, "untranslated or not applied in Turkish: %s" % missing[:20])
