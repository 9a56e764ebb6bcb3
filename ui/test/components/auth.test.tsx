import { fireEvent, screen } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../render';

function fill(testId: string, value: string): void {
  fireEvent.input(screen.getByTestId(testId), { target: { value } });
}

describe('sign in', () => {
  it('says so when the password is wrong and signs in with the right one', async () => {
    renderApp();
    await screen.findByTestId('login-screen');
    fill('login-username', 'alice');
    fill('login-password', 'wrong');
    fireEvent.click(screen.getByTestId('login-submit'));
    expect((await screen.findByTestId('login-error')).textContent).toBe('Wrong username or password.');
    fill('login-password', 'password');
    fireEvent.click(screen.getByTestId('login-submit'));
    await screen.findByTestId('chat-list');
    expect(screen.getByTestId('chat-item-1').textContent).toContain('bob');
  });

  it('says to wait after too many wrong passwords, as the server refuses them', async () => {
    renderApp();
    await screen.findByTestId('login-screen');
    fill('login-username', 'alice');
    for (let i = 0; i < 10; i++) {
      fill('login-password', `wrong-${i}`);
      fireEvent.click(screen.getByTestId('login-submit'));
      expect((await screen.findByTestId('login-error')).textContent).toBe('Wrong username or password.');
    }
    fill('login-password', 'password');
    fireEvent.click(screen.getByTestId('login-submit'));
    expect((await screen.findByText('Too many attempts. Wait a few minutes and try again.')).getAttribute('data-testid')).toBe('login-error');
  });

  it('registers a new account and lands on an empty chat list', async () => {
    renderApp();
    await screen.findByTestId('login-screen');
    fill('login-username', 'zoe');
    fill('login-password', 'secret');
    fireEvent.click(screen.getByTestId('register-submit'));
    await screen.findByTestId('main-screen');
    expect(await screen.findByText('No chats yet. Start one with the pencil button.')).toBeTruthy();
  });

  it('asks for the passcode of a locked profile', async () => {
    renderApp({ signedInAs: 'alice', passcode: '1234' });
    await screen.findByTestId('lock-screen');
    fill('lock-passcode', '0000');
    fireEvent.submit(screen.getByTestId('lock-submit').closest('form') as HTMLFormElement);
    expect((await screen.findByTestId('lock-error')).textContent).toBe('Wrong passcode.');
    fill('lock-passcode', '1234');
    fireEvent.submit(screen.getByTestId('lock-submit').closest('form') as HTMLFormElement);
    await screen.findByTestId('chat-list');
  });
});
