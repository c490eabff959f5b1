import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomically } from '../../../kernel/index.js';
import type { OnboardAnswers } from './onboard-answers.js';

/**
 * The interactive wizard's answers, kept under $NEXUS_HOME so Ctrl-C or an error never loses
 * them. The file holds the provider key as typed, so it is written 0600 (owner only) and removed
 * once onboarding completes; it never says "complete" itself.
 */
export class OnboardState {
  readonly path: string;

  constructor(nexusHome: string) {
    this.path = join(nexusHome, 'onboard-state.json');
  }

  load(): OnboardAnswers | undefined {
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as { answers?: OnboardAnswers };
      return parsed.answers && typeof parsed.answers === 'object' ? parsed.answers : undefined;
    } catch {
      return undefined;
    }
  }

  save(answers: OnboardAnswers): void {
    writeAtomically(this.path, `${JSON.stringify({ note: 'nexus onboard answers, kept until onboarding completes (mode 0600: it holds the provider key)', answers }, null, 2)}\n`, 0o600);
  }

  clear(): void {
    rmSync(this.path, { force: true });
  }
}
