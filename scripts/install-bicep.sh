#!/usr/bin/env bash
# Installs the Bicep CLI into .tools/bicep/bicep (git-ignored) from the NuGet
# package Azure.Bicep.CommandLine.linux-x64, restored with the .NET SDK (the
# only way in here: no other download). Idempotent: does nothing when the
# wanted version is already there. Prints the path of the binary on stdout.
# Usage: scripts/install-bicep.sh            (BICEP_VERSION=x.y.z to override)
set -euo pipefail

VERSION="${BICEP_VERSION:-0.49.2}"
PACKAGE=Azure.Bicep.CommandLine.linux-x64

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEST="$ROOT/.tools/bicep"
BIN="$DEST/bicep"

if [[ -x "$BIN" ]] && "$BIN" --version 2>/dev/null | grep -q "version $VERSION "; then
  echo "$BIN"
  exit 0
fi

[[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]] || { echo "install-bicep: $PACKAGE is for Linux x86_64 only (this is $(uname -s)-$(uname -m))" >&2; exit 1; }
command -v dotnet >/dev/null || { echo "install-bicep: needs the .NET SDK (dotnet) to restore $PACKAGE from NuGet" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A throw-away project whose only job is to download the package: PackageDownload
# fetches it without adding it to any build. The target framework is the SDK's own,
# so its targeting pack is already on the machine.
sdk_major=$(dotnet --version | cut -d. -f1)
cat >"$work/bicep-download.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net${sdk_major}.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="$PACKAGE" Version="[$VERSION]" />
  </ItemGroup>
</Project>
EOF

echo "install-bicep: restoring $PACKAGE $VERSION from NuGet" >&2
DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
  dotnet restore "$work/bicep-download.csproj" --packages "$work/packages" --verbosity quiet >&2

src="$work/packages/$(echo "$PACKAGE" | tr '[:upper:]' '[:lower:]')/$VERSION/tools/bicep"
[[ -f "$src" ]] || { echo "install-bicep: the package has no tools/bicep (looked at $src)" >&2; exit 1; }

mkdir -p "$DEST"
install -m 0755 "$src" "$BIN.tmp"
mv -f "$BIN.tmp" "$BIN"
"$BIN" --version >&2
echo "$BIN"
