import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { defineRevisit } from './revisit-app';

// `cdk synth` and `cdk deploy` fail on any AwsSolutions finding that is not acknowledged with a reason.
const app = new App();
defineRevisit(app);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
