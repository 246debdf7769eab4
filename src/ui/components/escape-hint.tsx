// Whether Esc does something on the screen now. Only a component that acts on Esc knows
// (a share field goes back to the custodian id; the custodian id prompt before it does
// nothing), so it says so here, and the footer shows the Esc hint only then (issue 16).
import { createContext, useContext, useLayoutEffect, type ReactNode } from 'react';

type Report = (active: boolean) => void;

const EscapeHint = createContext<Report>(() => undefined);

/** Collects what the screen underneath says about Esc: `onChange(true)` while a component acts on it. */
export function EscapeHintScope({ onChange, children }: { onChange: Report; children: ReactNode }) {
  return <EscapeHint.Provider value={onChange}>{children}</EscapeHint.Provider>;
}

/** Esc acts here while `active` (and until this component goes away). */
export function useEscapeHint(active: boolean): void {
  const report = useContext(EscapeHint);
  // A layout effect: the footer changes in the same frame as the field, not one frame late.
  useLayoutEffect(() => {
    if (!active) return undefined;
    report(true);
    return () => report(false);
  }, [active, report]);
}
