<?php
/**
 * Plugin Name: Store Platform
 * Description: Set by the platform, not the shop: sends WordPress mail through the platform's SMTP relay, and never mails about the store check's own order.
 *
 * A must-use plugin from the store's ConfigMap (no plugin download). The relay comes from the
 * environment the platform gives the WordPress container (STORE_SMTP_*; the credentials from the
 * store's smtp-credentials Secret). Without STORE_SMTP_HOST, mail is off and WordPress's own
 * delivery (PHP mail(), which has no sendmail here) fails as before.
 */

defined('ABSPATH') || exit;

if (getenv('STORE_SMTP_HOST')) {
	// the relay signs for the platform's address only: every mail is from it (set before wp_mail() checks
	// the From address, which WordPress builds from the host and a shop or plugin may change); the address
	// chosen before becomes Reply-To, so replies still reach the sender the shop chose
	add_filter('wp_mail_from', static function ($chosen) {
		$GLOBALS['store_platform_mail_chosen_from'] = (string) $chosen;
		return (string) getenv('STORE_SMTP_FROM');
	}, PHP_INT_MAX);
	add_action('phpmailer_init', static function ($mailer) {
		$from = (string) getenv('STORE_SMTP_FROM');
		$tls = (string) getenv('STORE_SMTP_TLS');
		$mailer->isSMTP();
		$mailer->Host = (string) getenv('STORE_SMTP_HOST');
		$mailer->Port = (int) getenv('STORE_SMTP_PORT');
		// PHPMailer: 'tls' is STARTTLS, 'ssl' is TLS from the first byte; 'none' sends in the clear
		$mailer->SMTPSecure = $tls === 'tls' ? 'ssl' : ($tls === 'starttls' ? 'tls' : '');
		$mailer->SMTPAutoTLS = $tls !== 'none';
		$user = (string) getenv('STORE_SMTP_USERNAME');
		if ($user !== '') {
			$mailer->SMTPAuth = true;
			$mailer->Username = $user;
			$mailer->Password = (string) getenv('STORE_SMTP_PASSWORD');
		}
		$mailer->Timeout = 15;
		$mailer->Sender = $from;
		$chosen = (string) ($GLOBALS['store_platform_mail_chosen_from'] ?? '');
		if ($chosen !== '' && strcasecmp($chosen, $from) !== 0 && is_email($chosen) && count($mailer->getReplyToAddresses()) === 0) {
			$mailer->addReplyTo($chosen, $mailer->FromName);
		}
	}, PHP_INT_MAX);
}

// The store check places one order billed to this reserved address and deletes it at once: no mail about it.
foreach (['new_order', 'customer_processing_order', 'customer_on_hold_order', 'customer_completed_order'] as $store_platform_email) {
	add_filter("woocommerce_email_recipient_{$store_platform_email}", static function ($recipient, $order) {
		return (is_object($order) && method_exists($order, 'get_billing_email') && $order->get_billing_email() === 'store-check@store-platform.invalid') ? '' : $recipient;
	}, PHP_INT_MAX, 2);
}
