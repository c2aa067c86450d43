/**
 * Test texts mark expected ranges with « and ». Returns the text without
 * markers and the offsets the marked ranges cover, in order of their start.
 */
export function parseMarkers(marked: string): { text: string; ranges: [number, number][] } {
  let text = '';
  const ranges: [number, number][] = [];
  const open: number[] = [];
  for (const ch of marked) {
    if (ch === '«') open.push(text.length);
    else if (ch === '»') {
      const start = open.pop();
      if (start === undefined) throw new Error('» without «');
      ranges.push([start, text.length]);
    } else text += ch;
  }
  if (open.length) throw new Error('« without »');
  ranges.sort((a, b) => a[0] - b[0]);
  return { text, ranges };
}
