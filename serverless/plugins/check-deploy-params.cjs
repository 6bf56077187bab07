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

class CheckDeployParams {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'before:deploy:deploy': () => {
        const template = serverless.service.provider.compiledCloudFormationTemplate;
        const problems = deployProblems(template);
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
