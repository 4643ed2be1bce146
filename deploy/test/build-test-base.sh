#!/usr/bin/env bash
# Builds the offline base image the container test passes as BASE_IMAGE: Debian 12 (minbase) with
# Debian's OpenJDK 17 JRE, made by mmdebstrap from Debian's packages and imported into podman.
# No container registry is needed. Idempotent: does nothing when the image exists (but adds the
# PATH of an image made without it).
# Needs root, podman and mmdebstrap (apt-get install podman runc mmdebstrap).
set -euo pipefail
IMAGE="${1:-localhost/sluice-test-jre:17}"
SEARCH_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
if podman image exists "$IMAGE"; then
  # `podman run` gives a container a default PATH when its image has none, `podman kube play` does
  # not (the kube play test's pod could not find `sh`): an image imported without it gets it here.
  if podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$IMAGE" | grep -q '^PATH='; then
    echo "base image $IMAGE exists"
    exit 0
  fi
  old="$(podman image inspect --format '{{.Id}}' "$IMAGE")"
  ctx="$(mktemp -d)"
  trap 'rm -rf "$ctx"' EXIT
  printf 'FROM %s\nENV PATH=%s\nCMD ["bash"]\n' "$IMAGE" "$SEARCH_PATH" > "$ctx/Containerfile"
  podman build --quiet --layers=false --network none --pull=never -t "$IMAGE" "$ctx" >/dev/null
  podman rmi "$old" >/dev/null 2>&1 || true   # the untagged old image, unless a container still uses it
  echo "base image $IMAGE: PATH and CMD added"
  exit 0
fi
tar="$(mktemp --suffix=.tar)"
trap 'rm -f "$tar"' EXIT
mmdebstrap --quiet --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
  --aptopt='Acquire::Retries "3"' bookworm "$tar"
podman import --change "ENV PATH=$SEARCH_PATH" --change 'CMD ["bash"]' "$tar" "$IMAGE" >/dev/null
echo "built base image $IMAGE"
