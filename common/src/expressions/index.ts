export * from './ast';
export { tokenize, type Token, type TokenKind } from './lexer';
export { findTemplates, parseExpression } from './parser';
export { evaluate, evaluateCondition, substitute, namesOf, EvaluationError, type Resolver, type Value } from './evaluate';
