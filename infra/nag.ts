import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The finding id cdk-nag's AwsSolutions-IAM5 gives a wildcard resource: `Resource::` and the resource
 * flattened as cdk-nag does (`Fn::Join` joined, `Ref` as `<Id>`, `Fn::GetAtt` as `<Id.Attr>`, `${X}` as `<X>`,
 * anything else as JSON).
 *
 * Only for resources whose tokens live in `scope`'s own stack: cross-stack references resolve to
 * different expressions before and after synthesis, so their finding ids are not stable.
 */
export function wildcardResourceFinding(scope: IConstruct, resource: string): string {
  return `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(resource))}]`;
}

/** Acknowledges one wildcard resource (see `wildcardResourceFinding`) on `scope`, with the reason. */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: wildcardResourceFinding(scope, resource), reason });
}

function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const intrinsic = node as Record<string, unknown>;
    if (intrinsic['Fn::Join']) {
      const [delimiter, items] = intrinsic['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (intrinsic['Fn::Sub']) return flatten(intrinsic['Fn::Sub']);
    if (intrinsic['Fn::GetAtt']) {
      const [resource, attribute] = intrinsic['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if (intrinsic['Fn::ImportValue']) return flatten(intrinsic['Fn::ImportValue']);
    if (intrinsic.Ref) return `<${flatten(intrinsic.Ref)}>`;
  }
  return JSON.stringify(node);
}
