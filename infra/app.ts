/** CDK app entry (cdk.json runs it with tsx): synthesizes the stage named by `-c stage=dev|prod`. */
import { buildApp } from './claims-app.js';

buildApp().app.synth();
