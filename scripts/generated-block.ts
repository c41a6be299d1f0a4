/** A generated table lives between two marker comments in a Markdown page; this puts a new one in their place. */
export function replaceGeneratedBlock(page: string, begin: string, end: string, table: string): string {
    const start = page.indexOf(begin);
    const stop = page.indexOf(end);
    if (start < 0 || stop < start) throw new Error(`the page lacks the markers ${begin} ... ${end}`);
    return `${page.slice(0, start + begin.length)}\n${table}\n${page.slice(stop)}`;
}
