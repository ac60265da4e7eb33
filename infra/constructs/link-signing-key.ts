import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface LinkSigningKeyProps {
  /**
   * What happens to the secret when it leaves the stack.
   * @default RemovalPolicy.RETAIN: a new key would invalidate every survey and unsubscribe link already sent
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The HMAC key that signs survey, reply and unsubscribe links. It lives with the data because links
 * sent weeks ago must still verify after any redeployment of the functions.
 *
 * Rotation, by hand and between campaigns: once the longest reply window of the campaigns in flight
 * has run out, put a new value with `aws secretsmanager put-secret-value`. Links signed with the old
 * value stop verifying (reply-api reads only AWSCURRENT). Running containers cache the key until they
 * are recycled, so follow with a deployment that changes the functions to switch them all over together.
 */
export class LinkSigningKey extends Construct {
  public readonly secret: Secret;

  public constructor(scope: Construct, id: string, props: LinkSigningKeyProps = {}) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      description: 'revisit: HMAC key of survey, reply and unsubscribe links',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'No automatic rotation: rotating the link-signing key would invalidate every survey and unsubscribe link in flight. ' +
        'Rotation is a documented manual procedure between campaigns (see the LinkSigningKey TSDoc).',
    });
  }
}
