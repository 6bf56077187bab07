/**
 * The product's version, as every report and `--version` name it. A constant rather than a read of
 * package.json so the Lambda bundles carry it without the file; test/version.test.ts holds it to
 * package.json's `version`, so a release that bumps one and not the other fails the tests.
 */
export const PRODUCT_VERSION = '0.1.0';
