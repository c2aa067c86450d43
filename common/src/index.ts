export * from './kinds';
export * from './diagnostics';
export * from './document/parsedDocument';
export * from './validation/validate';
export * from './validation/context';
export * from './expressions';
export * from './pipeline/model';
export * from './pipeline/schema';
