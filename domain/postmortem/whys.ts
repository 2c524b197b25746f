/**
 * Five whys, blameless: the first answers come from the established causal chain (symptom back to
 * cause); the deeper ones ask why the system let that happen — about process and safeguards, never
 * about a person — and are marked for the review when the evidence cannot answer them.
 */
import type { Category, Incident } from '../model.js';

const SYSTEMIC: Partial<Record<Category, Array<[string, string]>>> = {
  deployment: [
    [
      'Why did the change reach production with this defect?',
      'To confirm in the review: which test, canary or review step could have caught it.',
    ],
    [
      'Why did the rollout not stop on its own?',
      "The deployment did not gate on the service's error alarm; there was no automatic rollback.",
    ],
  ],
  configuration: [
    [
      'Why could the configuration change go live unvalidated?',
      'To confirm in the review: the change path has no validation or staged rollout for this setting.',
    ],
    [
      'Why was the change not rolled back automatically?',
      "Configuration deployments did not watch the service's alarms.",
    ],
  ],
  capacity: [
    [
      'Why was capacity short of the load?',
      'To confirm in the review: limits and scaling were sized for a lower peak.',
    ],
    [
      'Why did scaling not absorb it?',
      'To confirm in the review: autoscaling bounds or reaction time did not match the surge.',
    ],
  ],
  dependency: [
    [
      'Why did a dependency failure become user-facing?',
      'To confirm in the review: the call path has no fallback or circuit breaker.',
    ],
    [
      'Why did we learn about it from our own alarms?',
      'To confirm in the review: there is no health signal from the dependency itself.',
    ],
  ],
  database: [
    [
      'Why did the database reach this state?',
      'To confirm in the review: headroom and limits were not alarmed early enough.',
    ],
    [
      'Why did the application not degrade gracefully?',
      'To confirm in the review: no back-pressure or read-only mode for this failure.',
    ],
  ],
  network: [
    [
      'Why could a network change cut this path?',
      'To confirm in the review: network changes are not checked against service dependencies.',
    ],
    [
      'Why was reachability not verified after the change?',
      'To confirm in the review: no synthetic check covers this path.',
    ],
  ],
  security: [
    [
      'Why was the attack or exposure possible?',
      'To confirm in the review: which control (rate limit, WAF rule, credential scope) was missing.',
    ],
    [
      'Why was it not blocked automatically?',
      'To confirm in the review: detection did not trigger a protective control.',
    ],
  ],
  code: [
    ['Why did the defect ship?', 'To confirm in the review: which test could have caught it.'],
    [
      'Why did it affect users broadly?',
      'To confirm in the review: the code path has no guard or feature flag.',
    ],
  ],
};

export function fiveWhys(incident: Incident): Array<{ question: string; answer: string }> {
  const rc = incident.rootCause;
  const symptom = `${incident.title} fire${incident.service ? ` on ${incident.service}` : ''}`;
  if (!rc || rc.category === 'unknown') {
    return [
      {
        question: `Why did ${symptom}?`,
        answer: 'Not established from the evidence; the investigation must continue.',
      },
      {
        question: 'Why could the cause not be established?',
        answer: 'To confirm in the review: which telemetry was missing or inconclusive.',
      },
      { question: 'Why was that telemetry missing?', answer: 'To be answered in the review.' },
      {
        question: 'Why did the automation have no mitigation to offer?',
        answer: 'Without a cause, no catalog action could be justified.',
      },
      { question: 'Why did recovery depend on humans?', answer: 'To be answered in the review.' },
    ];
  }
  // The chain runs cause → effect; the whys walk it back from the symptom.
  const chain = (rc.causalChain.length ? rc.causalChain : [rc.summary]).map((c) =>
    c.replace(/\s+/g, ' ').trim(),
  );
  const backwards = [...chain].reverse();
  // The last link is usually the alarm itself: it is the symptom, not an answer.
  const answers = backwards.length > 1 ? backwards.slice(1) : backwards;
  const whys: Array<{ question: string; answer: string }> = [];
  let question = `Why did ${symptom}?`;
  for (const answer of answers.slice(0, 3)) {
    whys.push({
      question,
      answer: `Because ${answer.replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase())}.`.replace(/\.\.$/, '.'),
    });
    question = 'Why did that happen?';
  }
  for (const [q, a] of SYSTEMIC[rc.category] ?? []) {
    if (whys.length >= 5) break;
    whys.push({ question: q, answer: a });
  }
  while (whys.length < 5) whys.push({ question: 'Why?', answer: 'To be answered in the review.' });
  return whys;
}
