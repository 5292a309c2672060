/** Renders the README's tables of action inputs and outputs from the text of action.yml. */
export function actionTables(actionYaml: string): { inputs: string; outputs: string };
/** Returns the README with both tables replaced. */
export function withActionTables(readme: string, actionYaml: string): string;
