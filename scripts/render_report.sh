#!/usr/bin/env bash
# Render a report workbook to PDF (LibreOffice, headless) and to one PNG per page
# (pdftoppm), to look at it the way a reader would.
#
#   scripts/render_report.sh REPORT.xlsx OUTDIR [DPI]
#
# Writes OUTDIR/<name>.pdf and OUTDIR/<name>-<page>.png. Needs LibreOffice Calc and
# poppler: apt-get install -y libreoffice-calc poppler-utils
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 REPORT.xlsx OUTDIR [DPI]" >&2
    exit 2
fi
report=$1
outdir=$2
dpi=${3:-70}
[ -f "$report" ] || { echo "no such file: $report" >&2; exit 2; }
command -v soffice >/dev/null || { echo "soffice not found: apt-get install -y libreoffice-calc" >&2; exit 2; }
command -v pdftoppm >/dev/null || { echo "pdftoppm not found: apt-get install -y poppler-utils" >&2; exit 2; }

mkdir -p "$outdir"
name=$(basename "${report%.*}")
# A private LibreOffice profile: no clash with a running instance, no first-start dialogs.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
soffice -env:UserInstallation=file://"$profile" --headless --norestore \
    --convert-to pdf --outdir "$outdir" "$report" >/dev/null
pdf="$outdir/$name.pdf"
[ -f "$pdf" ] || { echo "LibreOffice wrote no PDF for $report" >&2; exit 1; }
rm -f "$outdir/$name"-*.png
pdftoppm -png -r "$dpi" "$pdf" "$outdir/$name"
pages=$(ls "$outdir/$name"-*.png | wc -l)
echo "$pdf ($pages pages, PNG at $dpi dpi in $outdir)"
