#!/usr/bin/env bash
# Builds the metadata-only Patched.DistributedLock.Postgres 1.3.3 package into build/local-packages.
# A .nupkg is a zip holding the .nuspec and [Content_Types].xml; python's zipfile is on every Debian.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../local-packages/patched.distributedlock.postgres.1.3.3.nupkg"
mkdir -p "$(dirname "$out")"
python3 - "$here/Patched.DistributedLock.Postgres.nuspec" "$out" <<'PY'
import sys, zipfile
nuspec, out = sys.argv[1], sys.argv[2]
types = ('<?xml version="1.0" encoding="utf-8"?>'
         '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
         '<Default Extension="nuspec" ContentType="application/octet" />'
         '</Types>')
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    # fixed timestamps keep the package byte-identical between builds
    for name, data in (("Patched.DistributedLock.Postgres.nuspec", open(nuspec, "rb").read()),
                       ("[Content_Types].xml", types.encode())):
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
PY
echo "built $out"
