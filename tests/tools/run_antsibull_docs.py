# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""antsibull-docs, with temporary directory names that cannot end in an underscore.

`antsibull-docs lint-collection-docs` renders each plugin's page in a directory made by
`tempfile.mkdtemp(prefix="antsibull-docs-")`, and the page's text holds that directory's name. When
the name's random part ends in `_` (one run in 37), reStructuredText reads the name as a link to a
target that does not exist, and every page fails with `Unknown target name: "antsibull-docs-…"`.
Drawing the random part from letters and digits only keeps the lint's verdict about our docs.

    python tests/tools/run_antsibull_docs.py lint-collection-docs --plugin-docs .
"""

import sys
import tempfile

tempfile._RandomNameSequence.characters = "abcdefghijklmnopqrstuvwxyz0123456789"  # pylint: disable=protected-access

from antsibull_docs.cli.antsibull_docs import main  # noqa: E402  pylint: disable=wrong-import-position

if __name__ == "__main__":
    sys.exit(main())
