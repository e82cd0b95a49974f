/**
 * The claims API: API Gateway REST API (usage plans, request validation and WAF exist only there), a
 * Lambda REQUEST authorizer that binds each API key (or, on the national gateway's routes, each x-tif
 * signature) to one hospital or operator id, per-hospital
 * throttling through usage plans, JSON access logs without secrets.
 */
import { Duration, Size } from 'aws-cdk-lib';
import {
  AccessLogField,
  AccessLogFormat,
  ApiKeySourceType,
  EndpointType,
  IdentitySource,
  JsonSchemaType,
  JsonSchemaVersion,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  Period,
  RequestAuthorizer,
  RestApi,
  type MethodOptions,
  type UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { type CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { API_KEY_HEADER, ROUTES, type Route, takesClaimModel } from '../functions/intake/routes.js';
import { addErrorResponses } from './api-responses.js';
import { createFirewall, logFirewall, webAclNameOf } from './firewall.js';
import type { StageConfig } from './config.js';
import { logGroupPrefixes, stackInstanceSuffix } from './names.js';

/** The national gateway's routes (functions/gateway/): the hospital's key or the x-tif signature. */
export const isNationalRoute = (route: Route): boolean => route.name === 'national' || route.name === 'national-infno';

export interface ApiProps {
  readonly config: StageConfig;
  readonly intake: IFunction;
  readonly authorizer: IFunction;
  readonly logKey: IKey;
}

export class ClaimsApi extends Construct {
  readonly api: RestApi;
  readonly accessLogs: LogGroup;
  readonly hospitalPlan: UsagePlan;
  readonly operatorPlan: UsagePlan;
  readonly webAcl: CfnWebACL;
  readonly wafLogs: LogGroup;
  /** The web ACL's name (its metrics' WebACL dimension). */
  readonly webAclName: string;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const { config } = props;
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      logGroupName: `${logGroupPrefixes(config.stage).api}access-${stackInstanceSuffix()}`,
      retention: config.logRetention,
      encryptionKey: props.logKey,
      removalPolicy: config.dataRemovalPolicy,
    });

    this.api = new RestApi(this, 'Api', {
      restApiName: `resident-claims-${config.stage}`,
      description: 'Resident claims settlement: HIS submit claims, read settlements, reverse; operators read member years',
      endpointTypes: [EndpointType.REGIONAL],
      // Usage plans count the key the authorizer returns, never a key the client sends: the client's
      // x-api-key is its credential, checked against the registry's hashes.
      apiKeySourceType: ApiKeySourceType.AUTHORIZER,
      cloudWatchRole: true,
      // A settlement with its trace is a few KB of JSON; gzip it for clients that ask (Accept-Encoding).
      minCompressionSize: Size.kibibytes(1),
      deployOptions: {
        stageName: config.stage,
        accessLogDestination: new LogGroupLogDestination(this.accessLogs),
        // Who called what and how it went; never headers or bodies (claims are health data, the header is a secret).
        accessLogFormat: AccessLogFormat.custom(
          JSON.stringify({
            requestId: AccessLogField.contextRequestId(),
            time: AccessLogField.contextRequestTimeEpoch(),
            ip: AccessLogField.contextIdentitySourceIp(),
            caller: AccessLogField.contextAuthorizerPrincipalId(),
            // Which of the caller's keys (its id, never the key): shows when a rotating HIS has switched.
            keyId: AccessLogField.contextAuthorizer('keyId'),
            method: AccessLogField.contextHttpMethod(),
            resource: AccessLogField.contextResourcePath(),
            status: AccessLogField.contextStatus(),
            length: AccessLogField.contextResponseLength(),
            latency: AccessLogField.contextResponseLatency(),
            integrationLatency: AccessLogField.contextIntegrationLatency(),
            error: AccessLogField.contextErrorMessage(),
            authorizerError: AccessLogField.contextAuthorizerError(),
            waf: AccessLogField.contextWafResponseCode(),
          }),
        ),
        // Execution logs for errors only, and never the data trace (it would log claim bodies).
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        // All hospitals together; each hospital is also held to its usage plan below.
        throttlingRateLimit: config.apiRateLimit,
        throttlingBurstLimit: config.apiBurstLimit,
      },
    });

    addErrorResponses(this.api);

    const authorizer = new RequestAuthorizer(this, 'Authorizer', {
      authorizerName: 'api-key',
      handler: props.authorizer,
      identitySources: [IdentitySource.header(API_KEY_HEADER)],
      // The answer for one key is reused across routes for this long (the policy covers every route).
      resultsCacheTtl: config.authorizerCacheTtl,
    });

    // The national gateway's routes take the hospital's key or the national per-institution signature
    // (x-tif-* headers). Every signed request has a new nonce, so no cache key could ever be hit twice
    // but by a replay, and a cached Allow would let that replay in: this authorizer caches nothing and
    // requires no header (it runs on every call and denies what carries neither credential).
    const nationalAuthorizer = new RequestAuthorizer(this, 'NationalAuthorizer', {
      authorizerName: 'national-key-or-signature',
      handler: props.authorizer,
      identitySources: [],
      resultsCacheTtl: Duration.seconds(0),
    });

    const validator = this.api.addRequestValidator('Validator', {
      requestValidatorName: 'body-and-parameters',
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    // The envelope of a claim: enough to refuse non-claims before a Lambda runs. The intake's strict
    // contract check still names every bad field; this schema must never be stricter than the contract.
    const claimModel = this.api.addModel('Claim', {
      modelName: 'Claim',
      contentType: 'application/json',
      schema: {
        schema: JsonSchemaVersion.DRAFT4,
        title: 'Claim',
        type: JsonSchemaType.OBJECT,
        required: ['claimId', 'member', 'hospital', 'visit', 'items'],
        properties: {
          claimId: { type: JsonSchemaType.STRING, minLength: 1, maxLength: 64 },
          member: { type: JsonSchemaType.OBJECT, required: ['id'], properties: { id: { type: JsonSchemaType.STRING, minLength: 1, maxLength: 64 } } },
          hospital: { type: JsonSchemaType.OBJECT, required: ['id'], properties: { id: { type: JsonSchemaType.STRING, minLength: 1, maxLength: 64 } } },
          visit: { type: JsonSchemaType.OBJECT },
          items: { type: JsonSchemaType.ARRAY, minItems: 1, maxItems: 5000, items: { type: JsonSchemaType.OBJECT } },
        },
      },
    });

    const integration = new LambdaIntegration(props.intake, {
      proxy: true,
      // Lambda permissions for the deployed stage only, not for console test invocations of any stage.
      allowTestInvoke: false,
    });
    const secured: MethodOptions = {
      authorizer,
      apiKeyRequired: true,
      requestValidator: validator,
      requestParameters: { [`method.request.header.${API_KEY_HEADER}`]: true },
    };

    // Every route of the one route table (functions/intake/routes.ts), nothing else; a JSON body is
    // checked against the claim model, query parameters the handler reads are declared.
    for (const route of ROUTES) {
      const query = Object.fromEntries(route.query.map((name) => [`method.request.querystring.${name}`, false]));
      const national = isNationalRoute(route);
      this.api.root.resourceForPath(route.path).addMethod(route.method, integration, {
        ...secured,
        ...(national ? { authorizer: nationalAuthorizer } : {}),
        // A signed request has no x-api-key: on the national routes the header is not required.
        requestParameters: { ...(national ? {} : secured.requestParameters), ...query },
        ...(takesClaimModel(route.body) ? { requestModels: { 'application/json': claimModel } } : {}),
      });
    }

    // Usage plan throttles apply per API key, i.e. per hospital: one busy HIS cannot starve the others.
    const stage = this.api.deploymentStage;
    this.hospitalPlan = this.api.addUsagePlan('HospitalPlan', {
      name: `resident-claims-${config.stage}-hospitals`,
      description: 'Each hospital: its own rate, burst and daily quota',
      throttle: { rateLimit: config.hospitalRateLimit, burstLimit: config.hospitalBurstLimit },
      quota: { limit: config.hospitalDailyQuota, period: Period.DAY },
      apiStages: [{ api: this.api, stage }],
    });
    this.operatorPlan = this.api.addUsagePlan('OperatorPlan', {
      name: `resident-claims-${config.stage}-operators`,
      description: 'Insurance bureau operators: member-year reads',
      throttle: { rateLimit: 10, burstLimit: 20 },
      apiStages: [{ api: this.api, stage }],
    });

    this.webAcl = createFirewall(this, config);
    this.webAclName = webAclNameOf(config);
    new CfnWebACLAssociation(this, 'WebAclAssociation', { resourceArn: stage.stageArn, webAclArn: this.webAcl.attrArn });

    this.wafLogs = logFirewall(this, this.webAcl, config, props.logKey);
  }
}
