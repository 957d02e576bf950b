/** Every item of a Google list call, page after page: the `pageToken` / `nextPageToken` loop in one place. */
export async function everyPage<P extends { nextPageToken?: string | null }, T>(
  fetchPage: (pageToken: string | undefined) => Promise<P>,
  itemsOf: (page: P) => readonly T[] | null | undefined,
): Promise<T[]> {
  const items: T[] = [];
  let pageToken: string | undefined;
  do {
    const page = await fetchPage(pageToken);
    items.push(...(itemsOf(page) ?? []));
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);
  return items;
}
