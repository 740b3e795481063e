import { builtInBoards, loadBoard } from '../config/load.ts'
import { textTable } from './table.ts'

/** `edgert boards`: the built-in boards and what is wired to each. */
export async function boardsCommand(out: (text: string) => void): Promise<number> {
  for (const name of await builtInBoards()) {
    const { board } = await loadBoard(name)
    out(`${name} (${board.platform})${board.description === undefined ? '' : `: ${board.description}`}`)
    const rows: (string | number)[][] = [
      ...Object.entries(board.gpio).map(([device, g]) => [device, 'gpio', `BCM ${g.line}${g.header === undefined ? '' : `, header pin ${g.header}`}`, g.direction]),
      ...Object.entries(board.i2c).flatMap(([bus, b]) => [
        [bus, 'i2c bus', `/dev/i2c-${b.bus}${pins({ SDA: b.sda, SCL: b.scl })}`, ''],
        ...Object.entries(b.devices).map(([device, d]) => [device, `i2c ${d.chip}`, `${bus} 0x${d.address.toString(16)}`, '']),
      ]),
      ...Object.entries(board.serial).map(([device, s]) => [device, `serial${s.chip === undefined ? '' : ` ${s.chip}`}`, `${s.path} @ ${s.baudRate}${pins({ TXD: s.tx, RXD: s.rx })}`, '']),
    ]
    out(textTable(['device', 'kind', 'wiring', 'dir'], rows).replace(/^/gm, '  '))
    out('')
  }
  return 0
}

/** ", SDA BCM 2 pin 3, SCL BCM 3 pin 5" for the signals a board documents. */
function pins(signals: Record<string, { line: number; header: number } | undefined>): string {
  const known = Object.entries(signals).filter((entry): entry is [string, { line: number; header: number }] => entry[1] !== undefined)
  return known.map(([signal, pin]) => `, ${signal} BCM ${pin.line} pin ${pin.header}`).join('')
}
