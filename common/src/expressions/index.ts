export * from './ast';
export { tokenize, type Token, type TokenKind } from './lexer';
export { findTemplates, parseExpression } from './parser';
