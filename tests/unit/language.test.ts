import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/analysis/language.js';

const lang = (t: string): string => detectLanguage(t).language;

describe('detectLanguage', () => {
  it('finds Latin-script languages by their function words', () => {
    expect(lang('Gracias por el vuelo, muy bueno el servicio')).toBe('es');
    expect(lang('Le vol était très en retard et personne ne nous a aidé')).toBe('fr');
    expect(lang('Der Flug war sehr gut, danke für alles')).toBe('de');
    expect(lang('Obrigado pelo voo, foi muito bom, você é demais')).toBe('pt');
    expect(lang('Il volo è stato molto bello, grazie per il servizio')).toBe('it');
    expect(lang('Bedankt voor de vlucht, het was niet slecht maar ook niet goed')).toBe('nl');
  });

  it('finds other writing systems', () => {
    expect(lang('フライトが遅れました')).toBe('ja');
    expect(lang('航班延误了三个小时')).toBe('zh');
    expect(lang('Рейс задержали на три часа')).toBe('ru');
    expect(lang('تأخرت الرحلة ثلاث ساعات')).toBe('ar');
    expect(lang('항공편이 지연되었습니다')).toBe('ko');
  });

  it('counts English, short or evidence-free text as English', () => {
    expect(lang('still on hold')).toBe('en');
    expect(lang('ok')).toBe('en');
    expect(lang('')).toBe('en');
    expect(lang('LA to NYC de novo')).toBe('en');
    expect(lang('@SouthwestAir Gracias... appreciate that!')).toBe('en');
    expect(lang('Flight to El Paso was delayed and the gate agent was rude')).toBe('en');
    expect(lang('great service 😍😍 ❤️')).toBe('en');
    expect(lang('Café crème at the airport lounge was great')).toBe('en');
  });

  it('gives evidence', () => {
    const g = detectLanguage('Gracias por el vuelo, muy bueno');
    expect(g.evidence).toContain('gracias');
    expect(g.confident).toBe(true);
    expect(detectLanguage('フライト').evidence).toEqual(['script: kana']);
  });

  it('accepts pre-split words', () => {
    expect(detectLanguage('ignored', ['gracias', 'por', 'el', 'vuelo']).language).toBe('es');
  });
});

describe('short complaints in French and Spanish', () => {
  it('are recognised from negation and time words, not only articles', () => {
    expect(detectLanguage("Le service client ne répond jamais, c'est inadmissible").language).toBe('fr');
    expect(detectLanguage('El soporte nunca contesta, siempre lo mismo').language).toBe('es');
    expect(detectLanguage('Support never answers, always the same').language).toBe('en');
  });
});
