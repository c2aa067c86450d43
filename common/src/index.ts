export * from './kinds';
export * from './diagnostics';
export * from './document/parsedDocument';
export * from './validation/validate';
