/**
 * Sockets by TCP state, read from /proc/<pid>/net/tcp and tcp6 of a process in the container's
 * network namespace. Each line after the header is one socket; its fourth column is the state as
 * a hexadecimal number (include/net/tcp_states.h).
 */

export const TCP_STATES = [
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'LISTEN',
  'CLOSING',
  'NEW_SYN_RECV',
] as const;

export type TcpState = (typeof TCP_STATES)[number];

export type TcpCounts = Partial<Record<TcpState, number>>;

/** Counts the sockets of one /proc/net/tcp or tcp6 file by state; unknown states are left out. */
export function countTcpStates(text: string, counts: TcpCounts = {}): TcpCounts {
  const lines = text.split('\n');
  for (const line of lines.slice(1)) {
    const columns = line.trim().split(/\s+/u);
    const code = columns[3];
    if (columns.length < 4 || code === undefined) continue;
    const state = TCP_STATES[Number.parseInt(code, 16) - 1];
    if (state !== undefined) counts[state] = (counts[state] ?? 0) + 1;
  }
  return counts;
}
