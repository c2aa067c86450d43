export * from './ast';
export { evaluateCondition, substitute, EvaluationError, type Resolver, type Value } from './evaluate';
