import { ScenarioError } from '../../drivers/sim/scenario/issues.ts'
import { readScenarioFile } from '../../drivers/sim/scenario/parse.ts'
import { scenarioDeviceIssues } from '../../drivers/sim/scenario/bind.ts'
import type { Scenario } from '../../drivers/sim/scenario/schema.ts'
import { boardDevices } from '../config/bind-devices.ts'
import { ConfigError } from '../config/config-error.ts'
import type { LoadedConfig } from '../config/load.ts'
import { readRecording, type Recording } from '../readings/replay.ts'

/**
 * Reads and checks the files `edgert run` takes besides the board and table (--scenario,
 * --replay) before anything starts; every problem is a ConfigError with its file and path.
 */
export async function readRunInputs(config: LoadedConfig, files: { scenario?: string | undefined; replay?: string | undefined }): Promise<{ scenario?: Scenario; replay?: Recording }> {
  const scenario = files.scenario === undefined ? undefined : await readScenario(config, files.scenario)
  const replay = files.replay === undefined ? undefined : await readRecording(files.replay)
  if (replay !== undefined) {
    const devices = new Set(config.table.tasks.flatMap(task => (task.kind === 'sample' ? [task.device] : [])))
    if (![...replay.byDevice.keys()].some(device => devices.has(device))) {
      const recorded = [...replay.byDevice.keys()].join(', ') || 'none'
      throw new ConfigError([{ file: files.replay ?? '', path: '(file)', message: `records no device the table samples (recorded: ${recorded}; sampled: ${[...devices].join(', ') || 'none'})` }])
    }
  }
  return { ...(scenario === undefined ? {} : { scenario }), ...(replay === undefined ? {} : { replay }) }
}

async function readScenario(config: LoadedConfig, file: string): Promise<Scenario> {
  if (config.board.platform !== 'sim') {
    throw new ConfigError([{ file, path: '(file)', message: `a scenario drives the simulated board; board '${config.board.id}' is a ${config.board.platform} board` }])
  }
  let scenario: Scenario
  try {
    scenario = await readScenarioFile(file)
  } catch (error) {
    if (error instanceof ScenarioError) throw new ConfigError([...error.issues])
    throw error
  }
  const buses = Object.fromEntries([...boardDevices(config.board)].flatMap(([name, wiring]) => (wiring.bus === 'gpio' ? [] : [[name, wiring.bus] as const])))
  const issues = scenarioDeviceIssues(scenario, buses, file)
  if (issues.length > 0) throw new ConfigError(issues)
  return scenario
}
