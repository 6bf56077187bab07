/**
 * Refuses `osls deploy` of a template that would deploy but not work: with `orgWideEvents` on, the
 * central event bus must admit exactly one organization (`organizationId`, o-…) and the member
 * forwarder StackSet needs the roots or OUs to deploy to (`forwarderTargets`, r-… / ou-…).
 * Packaging (`npm run package`) stays possible with the defaults, so the template can be
 * inspected offline; only a deployment is stopped, before anything reaches CloudFormation.
 */
'use strict';

const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const TARGET = /^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$/;

/** The problems of a compiled template, as messages that name the parameter to set. */
function deployProblems(template) {
  const resources = (template && template.Resources) || {};
  const problems = [];
  const busPolicy = resources.CentralEventBusPolicy;
  if (busPolicy) {
    const condition = busPolicy.Properties && busPolicy.Properties.Statement && busPolicy.Properties.Statement.Condition;
    const orgId = condition && condition.StringEquals && condition.StringEquals['aws:PrincipalOrgID'];
    if (typeof orgId !== 'string' || !ORGANIZATION_ID.test(orgId)) {
      problems.push(
        `organizationId: expected the organization's ID (o-…, from \`aws organizations describe-organization\`), got "${orgId ?? ''}"; ` +
          'set --param="organizationId=o-…" or --param="orgWideEvents=false"',
      );
    }
  }
  const stackSet = resources.MemberForwarderStackSet;
  if (stackSet) {
    const groups = (stackSet.Properties && stackSet.Properties.StackInstancesGroup) || [];
    for (const group of groups) {
      const ous = group.DeploymentTargets && group.DeploymentTargets.OrganizationalUnitIds;
      const split = ous && ous['Fn::Split'];
      const raw = Array.isArray(split) ? split[1] : Array.isArray(ous) ? ous.join(',') : '';
      const targets = String(raw).split(',').map((t) => t.trim());
      const bad = targets.filter((t) => !TARGET.test(t));
      if (bad.length > 0) {
        problems.push(
          `forwarderTargets: expected root or OU IDs separated by commas (r-…, ou-…, from \`aws organizations list-roots\`), got "${raw}"; ` +
            'set --param="forwarderTargets=r-…" or --param="orgWideEvents=false"',
        );
      }
    }
  }
  return problems;
}

/** Whether a template condition holds, for the `Fn::Equals` of two literals osls leaves (else undefined). */
function conditionHolds(template, name) {
  const condition = template.Conditions && template.Conditions[name];
  const equals = condition && condition['Fn::Equals'];
  if (Array.isArray(equals) && equals.every((v) => typeof v === 'string' || typeof v === 'number')) return String(equals[0]) === String(equals[1]);
  return undefined;
}

/** Reserved concurrency per function (FunctionName → units) the template asks for. */
function reservedConcurrency(template) {
  const out = [];
  for (const [id, resource] of Object.entries((template && template.Resources) || {})) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const props = resource.Properties || {};
    let value = props.ReservedConcurrentExecutions;
    const choice = value && value['Fn::If'];
    if (Array.isArray(choice)) value = conditionHolds(template, choice[0]) === false ? undefined : choice[1];
    const units = Number(value);
    if (value !== undefined && Number.isFinite(units) && units > 0) out.push({ id, functionName: props.FunctionName, units });
  }
  return out;
}

/**
 * Lambda keeps min(100, account quota) of the account's concurrency unreserved: reserving any on
 * an account whose quota is 10 or 50 (new accounts) fails the deployment half way, with
 * "decreases account's UnreservedConcurrentExecution below its minimum value of [10]". `settings`
 * is Lambda GetAccountSettings' answer; `current` what these functions reserve already (an update).
 */
function concurrencyProblems(reservations, settings, current = {}) {
  const need = reservations.reduce((sum, r) => sum + r.units - (current[r.functionName] || 0), 0);
  if (reservations.length === 0 || need <= 0) return [];
  const account = (settings && settings.AccountLimit) || {};
  const limit = account.ConcurrentExecutions;
  const unreserved = account.UnreservedConcurrentExecutions;
  if (typeof limit !== 'number' || typeof unreserved !== 'number') return [];
  const minimum = Math.min(100, limit);
  if (unreserved - need >= minimum) return [];
  return [
    `reserveConcurrency: this account's Lambda concurrency quota is ${limit} (${unreserved} unreserved) and Lambda keeps ${minimum} unreserved, ` +
      `so reserving ${need} (${reservations.map((r) => `${r.functionName || r.id} ${r.units}`).join(', ')}) would fail the deployment; ` +
      'ask for a higher "Concurrent executions" quota (Service Quotas, AWS Lambda) or deploy with --param="reserveConcurrency=false" ' +
      '(the pacers then keep each process within its share, but overlapping sweeps or real-time containers are not capped; docs/operations.md)',
  ];
}

/**
 * The Lambda client of the deploying account, built the way osls 4 builds its own SDK v3 clients
 * (`provider.getAwsSdkV3Config()`: its region, credentials, retries, proxy and CA settings). A
 * custom endpoint comes from the SDK's own configuration, as for osls's clients: AWS_ENDPOINT_URL,
 * AWS_ENDPOINT_URL_LAMBDA, or `endpoint_url` in the profile (AWS SDKs and Tools reference guide,
 * "Service-specific endpoints"), so the check asks the same Lambda that the deploy goes to.
 */
async function lambdaClient(provider) {
  const { LambdaClient } = require('@aws-sdk/client-lambda');
  return new LambdaClient(await provider.getAwsSdkV3Config());
}

/** What these functions reserve already: 0 for a function not deployed yet (ResourceNotFoundException). */
async function currentReservations(lambda, reservations) {
  const { GetFunctionConcurrencyCommand } = require('@aws-sdk/client-lambda');
  const current = {};
  for (const r of reservations) {
    try {
      const answer = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: r.functionName }));
      current[r.functionName] = answer.ReservedConcurrentExecutions || 0;
    } catch (error) {
      if (error && error.name === 'ResourceNotFoundException') current[r.functionName] = 0;
      else throw error;
    }
  }
  return current;
}

/**
 * The check cannot read the quota (the deployer may not call GetAccountSettings or
 * GetFunctionConcurrency, or Lambda did not answer): say which, and the two ways on, instead of
 * the SDK's bare error.
 */
function unreadableQuota(error) {
  const code = (error && (error.name || error.Code)) || 'Error';
  const message = String((error && error.message) || error).split('\n')[0].slice(0, 300);
  return (
    `the Lambda concurrency quota could not be read to check reserveConcurrency (${code}: ${message}): ` +
    'allow the deployer lambda:GetAccountSettings and lambda:GetFunctionConcurrency (docs/deployer-policy.json), ' +
    'or deploy with --param="reserveConcurrency=false"'
  );
}

class CheckDeployParams {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'before:deploy:deploy': async () => {
        const template = serverless.service.provider.compiledCloudFormationTemplate;
        const problems = deployProblems(template);
        const reservations = reservedConcurrency(template);
        if (reservations.length > 0) {
          const { GetAccountSettingsCommand } = require('@aws-sdk/client-lambda');
          const lambda = await lambdaClient(serverless.getProvider('aws'));
          try {
            const settings = await lambda.send(new GetAccountSettingsCommand({}));
            const current = await currentReservations(lambda, reservations);
            problems.push(...concurrencyProblems(reservations, settings, current));
          } catch (error) {
            problems.push(unreadableQuota(error));
          } finally {
            lambda.destroy();
          }
        }
        if (problems.length > 0) {
          const ServerlessError = serverless.classes && serverless.classes.Error ? serverless.classes.Error : Error;
          throw new ServerlessError(`contact-auditor cannot be deployed as configured:\n  - ${problems.join('\n  - ')}`);
        }
      },
    };
  }
}

module.exports = CheckDeployParams;
module.exports.deployProblems = deployProblems;
module.exports.reservedConcurrency = reservedConcurrency;
module.exports.concurrencyProblems = concurrencyProblems;
