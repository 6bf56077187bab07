/** What the real-time handler tests hand the handler: a saved EventBridge event and a Lambda context. */
import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';

/** A saved EventBridge event from test/events/, parsed afresh for each use. */
export const savedEvent = (name: string) => JSON.parse(readFileSync(new URL(`../events/${name}.json`, import.meta.url), 'utf8'));

/** The context Lambda passes the deployed contactChange function; `requestId` names the invocation. */
export const lambdaContext = (requestId = 'req-1'): Context =>
  ({
    functionName: 'contact-auditor-dev-contactChange',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:contact-auditor-dev-contactChange',
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/contact-auditor-dev-contactChange',
    logStreamName: 'stream',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 30_000,
    done() {},
    fail() {},
    succeed() {},
  }) as Context;
