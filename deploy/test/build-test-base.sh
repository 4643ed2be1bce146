#!/usr/bin/env bash
# Builds the offline base image the container test passes as BASE_IMAGE: Debian 12 (minbase) with
# Debian's OpenJDK 17 JRE, made by mmdebstrap from Debian's packages and imported into podman.
# No container registry is needed. Idempotent: does nothing when the image exists.
# Needs root, podman and mmdebstrap (apt-get install podman runc mmdebstrap).
set -euo pipefail
IMAGE="${1:-localhost/sluice-test-jre:17}"
if podman image exists "$IMAGE"; then
  echo "base image $IMAGE exists"
  exit 0
fi
tar="$(mktemp --suffix=.tar)"
trap 'rm -f "$tar"' EXIT
mmdebstrap --quiet --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
  --aptopt='Acquire::Retries "3"' bookworm "$tar"
podman import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'CMD ["bash"]' "$tar" "$IMAGE" >/dev/null
echo "built base image $IMAGE"
