import { describe, expect, it } from 'vitest';
import { classifyIntent, complaintCues, expandPhrase, isQuestion } from '../../src/analysis/intent.js';
import { createSentimentScorer, type SentimentResult } from '../../src/analysis/sentiment.js';
import { loadSentimentInputs } from '../../src/core/model-files.js';

const score = createSentimentScorer(loadSentimentInputs());
const intent = (t: string, rating?: number): string => classifyIntent(t, score(t), rating).intent;

const neutral: SentimentResult = { score: 0, comparative: 0, label: 'neutral', scored: true, language: 'en', evidence: [] };
const positive: SentimentResult = { ...neutral, score: 0.9, label: 'positive', evidence: ['thanks'] };

describe('classifyIntent', () => {
  it('reads "kindly refund me" as a complaint', () => {
    expect(intent('kindly refund me')).toBe('complaint');
    // Even when the sentiment alone would not say so, the refund cue does.
    const r = classifyIntent('kindly refund me', neutral);
    expect(r.intent).toBe('complaint');
    expect(r.evidence).toContain('cue: refund');
  });

  it('reads the issue cases as complaints', () => {
    expect(intent('still on hold')).toBe('complaint');
    expect(intent('@united thanks for nothing')).toBe('complaint');
    expect(intent('Cancelled Flightled again, third time this month')).toBe('complaint');
    expect(intent('My bag never arrived')).toBe('complaint');
  });

  it('puts complaint before question', () => {
    expect(intent('Why is my flight delayed again?')).toBe('complaint');
  });

  it('finds questions by ? or a question word', () => {
    expect(intent('How do I reset my password?')).toBe('question');
    expect(classifyIntent('can you tell me the gate for UA 12', neutral).intent).toBe('question');
    expect(classifyIntent('Thanks! Can I bring my dog on board?', positive).intent).toBe('question');
  });

  it('reads praise', () => {
    expect(intent('You guys rock! Best flight ever')).toBe('praise');
    expect(intent('Thank you so much for the help')).toBe('praise');
  });

  it('leaves flat statements as other', () => {
    expect(intent('Boarding now in Denver')).toBe('other');
  });

  it('uses review ratings: <= 2 is a complaint, >= 4 with positive text is praise', () => {
    expect(classifyIntent('the room was fine', positive, 1)).toEqual({ intent: 'complaint', evidence: ['rating 1'] });
    expect(classifyIntent('lovely stay', positive, 5).intent).toBe('praise');
  });

  it('does not score unscored (non-English) text beyond rating and ?', () => {
    const es = score('Gracias por el vuelo, muy bueno el servicio');
    expect(classifyIntent('Gracias por el vuelo, muy bueno el servicio', es).intent).toBe('other');
    expect(classifyIntent('¿Dónde está mi maleta? por favor', { ...es }).intent).toBe('question');
    expect(classifyIntent('Muy malo', es, 1).intent).toBe('complaint');
  });

  it('carries evidence for a complaint', () => {
    expect(classifyIntent('worst airline ever', score('worst airline ever')).evidence.length).toBeGreaterThan(0);
  });
});

describe('cues', () => {
  it('finds complaint phrases on normalised text', () => {
    expect(complaintCues('@AA Kindly REFUND me, #LostLuggage')).toEqual(['refund', 'lost luggage']);
    expect(complaintCues('lovely day')).toEqual([]);
  });

  it('detects questions', () => {
    expect(isQuestion('where is gate 5')).toEqual({ question: true, cue: 'starts with "where"' });
    expect(isQuestion('@united what about my bag')).toEqual({ question: true, cue: 'starts with "what"' });
    expect(isQuestion('the gate is 5').question).toBe(false);
    expect(isQuestion('our new menu https://example.com/menu?lang=en').question).toBe(false);
  });
});

describe('triage classes', () => {
  it('reads outages, churn, purchase intent and spam, each with its cue as evidence', () => {
    const r = (t: string) => classifyIntent(t, score(t), undefined, score.tokens(t));
    expect(r('@CloudDesk is the dashboard down? getting a 502 error on every page')).toMatchObject({ intent: 'outage' });
    expect(r('@CloudDesk is the dashboard down? getting a 502 error on every page').evidence).toContain('outage: error');
    expect(r('@FiberNet moving away from you after three outages this month, enough').evidence).toContain('churn: moving away from');
    expect(r('Looking for a tool that syncs notes between Linux and iPhone, is @NoteApp any good?')).toEqual({ intent: 'purchase', evidence: ['purchase: looking for a tool'] });
    expect(r('Check out my channel for honest hauls! Link in bio').intent).toBe('spam');
  });

  it('does not call a customer asking to be followed (to send a DM) spam', () => {
    expect(classifyIntent('@united you need to follow me so I can dm you', neutral).intent).not.toBe('spam');
  });

  it('makes a reproaching question a complaint and an info-seeking one a question', () => {
    expect(classifyIntent('how come my order still shows as processing', neutral).evidence).toContain('reproach: how come');
    expect(classifyIntent('can I return an online order in store?', neutral).intent).toBe('question');
  });

  it('keeps a 1-star review a complaint, told apart as churn when it says so', () => {
    expect(classifyIntent('cancelling my subscription', positive, 1)).toEqual({ intent: 'churn', evidence: ['churn: cancelling my subscription', 'rating 1'] });
  });
});

describe('expandPhrase', () => {
  it('expands choices and options into plain phrases, spaces normalised', () => {
    expect(expandPhrase('when (?:will|are) you (?:going to )?fix')).toEqual(['when will you going to fix', 'when will you fix', 'when are you going to fix', 'when are you fix']);
    expect(expandPhrase('not (?:sync|load)(?:ing)?')).toEqual(['not syncing', 'not sync', 'not loading', 'not load']);
  });
});
