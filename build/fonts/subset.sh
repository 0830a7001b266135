#!/usr/bin/env bash
# Regenerates the Latin subsets of the DejaVu fonts that statement template v3 embeds.
# The full fonts weigh ~730 KB each and PdfPig parses every glyph of a font for each document it writes;
# the subsets (Latin, Latin-1, Latin Extended-A/B, punctuation, currency signs) weigh ~42 KB each.
# Keep UNICODE_RANGES in step with StatementTemplateV3.Covers. Needs `fonttools` (apt-get install fonttools).
# Committed output is what ships; rerunning only matters if the ranges change (then ship a new template version).
set -euo pipefail
cd "$(dirname "$0")/../../src/Ledger.Api/Statements/Fonts"
UNICODE_RANGES="U+0020-007E,U+00A0-024F,U+2010-2027,U+2030-203A,U+20A0-20C0,U+2116,U+2122,U+2212"
for font in DejaVuSans DejaVuSans-Bold; do
  pyftsubset "$font.ttf" --unicodes="$UNICODE_RANGES" --no-hinting --layout-features='' --output-file="$font-Latin.ttf"
done
ls -l ./*-Latin.ttf
