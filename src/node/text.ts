/** A long value cut to `length` characters for messages and tables, with an ellipsis. */
export function preview(value: string, length = 40): string {
  return value.length > length ? value.slice(0, length - 1) + '…' : value
}
