/** Names users may give most objects: starts alphanumeric, then `-_ .&,!` too. */
const NAME = /^[0-9a-zA-Z][-_0-9a-zA-Z .&,!]*$/;
/** Cluster names end up in Kubernetes and DNS: alphanumeric, `-` and `.`. */
const K8S_NAME = /^[0-9a-zA-Z][-0-9a-zA-Z.]*$/;

export const validName = (s: string): boolean => NAME.test(s);
export const validKubernetesName = (s: string): boolean => K8S_NAME.test(s);

/** Latitude in [-90, 90]. */
export const validLatitude = (v: number): boolean => v >= -90 && v <= 90;
/** Longitude in [-180, 180]. */
export const validLongitude = (v: number): boolean => v >= -180 && v <= 180;
