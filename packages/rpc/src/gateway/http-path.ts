import { getOption, hasOption, type DescMethod } from '@bufbuild/protobuf';
import type { GenExtension } from '@bufbuild/protobuf/codegenv2';
import type { MethodOptions } from '@bufbuild/protobuf/wkt';
import { methodPath } from '../grpc-definition';

/** The part of google.api.HttpRule the gateway reads: the oneof `pattern`. */
export interface HttpRuleLike {
  pattern: { case: string | undefined; value?: unknown };
}

/** The `google.api.http` method option, as generated in `gen/google/api/annotations_pb` (`http`). */
export type HttpRuleExtension = GenExtension<MethodOptions, HttpRuleLike>;

/** The `post` path of a method's `google.api.http` option, if it has one. */
export function httpPostPath(method: DescMethod, ext: HttpRuleExtension): string | undefined {
  if (!hasOption(method, ext)) return undefined;
  const rule = getOption(method, ext);
  return rule.pattern.case === 'post' && typeof rule.pattern.value === 'string'
    ? rule.pattern.value
    : undefined;
}

/** How the gateway finds each method's path; see `GatewayOptions`. */
export interface PathSource {
  pathFor?: ((method: DescMethod) => string | undefined) | undefined;
  httpRule?: HttpRuleExtension | undefined;
}

/**
 * Path of a method on the gateway: the caller's `pathFor`, else the `google.api.http` post
 * path when the extension is given, else the gRPC path `/<package.Service>/<Method>`.
 */
export function gatewayPath(method: DescMethod, source: PathSource): string {
  return (
    source.pathFor?.(method) ??
    (source.httpRule ? httpPostPath(method, source.httpRule) : undefined) ??
    methodPath(method)
  );
}
