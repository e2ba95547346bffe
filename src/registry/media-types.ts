/**
 * The manifest media types the client asks for and understands.
 *
 * Every manifest request sends all four in `Accept`: CNCF distribution 2.8 answers
 * `404 MANIFEST_UNKNOWN` ("OCI index found, but accept header does not support OCI indexes")
 * for OCI content when the OCI types are missing, even on HEAD by digest, so a client with a
 * short list reports existing tags as missing.
 */

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

/** The `Accept` header of every manifest request: indexes first, as Docker and containerd send it. */
export const MANIFEST_ACCEPT = [OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST_LIST, DOCKER_MANIFEST].join(', ');

/** Is this media type a multi-platform index (OCI image index or Docker manifest list)? */
export function isIndexMediaType(mediaType: string | undefined): boolean {
  return mediaType === OCI_INDEX || mediaType === DOCKER_MANIFEST_LIST;
}

/** Is this media type a single-platform image manifest (OCI or Docker schema 2)? */
export function isImageManifestMediaType(mediaType: string | undefined): boolean {
  return mediaType === OCI_MANIFEST || mediaType === DOCKER_MANIFEST;
}

/** The media type without parameters (`; charset=utf-8`) and in lower case, or undefined when absent. */
export function bareMediaType(contentType: string | null | undefined): string | undefined {
  if (!contentType) {
    return undefined;
  }
  const bare = contentType.split(';')[0].trim().toLowerCase();
  return bare === '' ? undefined : bare;
}
