// MLflow names unnamed runs "<adjective>-<noun>-<number>"; here the words come from the run's
// new id source, so the name is as reproducible as every other write.
const ADJECTIVES = ['amber', 'bold', 'brave', 'bright', 'calm', 'clever', 'crisp', 'eager', 'fair', 'gentle', 'glad', 'keen', 'lively', 'lucky', 'merry', 'nimble', 'polite', 'proud', 'quick', 'quiet', 'sharp', 'silent', 'smooth', 'steady', 'sunny', 'swift', 'tidy', 'vivid', 'warm', 'wise', 'witty', 'zesty'];
const NOUNS = ['ant', 'bass', 'bear', 'bird', 'carp', 'cat', 'colt', 'crab', 'crow', 'deer', 'dove', 'duck', 'eel', 'elk', 'finch', 'fox', 'frog', 'goat', 'hare', 'hawk', 'lark', 'lion', 'lynx', 'mole', 'moth', 'owl', 'ram', 'seal', 'slug', 'snail', 'swan', 'wolf'];

export function runNameFromId(hex: string): string {
  const byte = (i: number) => Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16) || 0;
  return `${ADJECTIVES[byte(0) % ADJECTIVES.length]}-${NOUNS[byte(1) % NOUNS.length]}-${(byte(2) * 256 + byte(3)) % 1000}`;
}
