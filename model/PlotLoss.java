import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * Draws validation-loss curves from train_log.jsonl files into a PNG, and prints them as a Markdown table.
 * No dependencies (single-file Java, headless AWT):
 * <pre>java -Djava.awt.headless=true model/PlotLoss.java model/val_loss.png model/runs/micro-learned model/runs/micro-nope</pre>
 */
public class PlotLoss {

    record Curve(String name, List<double[]> points) {
    }

    public static void main(String[] args) throws Exception {
        Pattern step = Pattern.compile("\"step\":(\\d+)");
        Pattern val = Pattern.compile("\"val_loss\":([0-9.eE+-]+)");
        List<Curve> curves = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            Path run = Path.of(args[i]);
            List<double[]> points = new ArrayList<>();
            for (String line : Files.readAllLines(run.resolve("train_log.jsonl"))) {
                Matcher s = step.matcher(line), v = val.matcher(line);
                if (s.find() && v.find()) {
                    points.add(new double[] {Double.parseDouble(s.group(1)), Double.parseDouble(v.group(1))});
                }
            }
            curves.add(new Curve(run.getFileName().toString(), points));
        }
        double maxStep = 1, minLoss = Double.MAX_VALUE, maxLoss = 0;
        for (Curve c : curves) {
            for (double[] p : c.points()) {
                maxStep = Math.max(maxStep, p[0]);
                minLoss = Math.min(minLoss, p[1]);
                maxLoss = Math.max(maxLoss, p[1]);
            }
        }
        minLoss = Math.floor(minLoss * 2) / 2;
        maxLoss = Math.ceil(maxLoss * 2) / 2;
        int w = 800, h = 500, left = 70, right = 20, top = 40, bottom = 60;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(230, 230, 230));
        for (double y = minLoss; y <= maxLoss + 1e-9; y += 0.5) {
            int py = top + (int) ((maxLoss - y) / (maxLoss - minLoss) * (h - top - bottom));
            g.drawLine(left, py, w - right, py);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.1f", y), 30, py + 4);
            g.setColor(new Color(230, 230, 230));
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(left, top, w - left - right, h - top - bottom);
        for (int i = 0; i <= 4; i++) {
            double s = maxStep * i / 4;
            int px = left + (int) (s / maxStep * (w - left - right));
            g.drawString(String.valueOf((long) s), px - 10, h - bottom + 18);
        }
        g.drawString("step", w / 2 - 10, h - 20);
        g.drawString("validation loss (nats/token)", left, 25);
        Color[] colors = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44), new Color(148, 103, 189)};
        for (int c = 0; c < curves.size(); c++) {
            g.setColor(colors[c % colors.length]);
            g.setStroke(new BasicStroke(2f));
            List<double[]> pts = curves.get(c).points();
            for (int i = 1; i < pts.size(); i++) {
                g.drawLine(x(pts.get(i - 1)[0], maxStep, left, w - right), y(pts.get(i - 1)[1], minLoss, maxLoss, top, h - bottom),
                        x(pts.get(i)[0], maxStep, left, w - right), y(pts.get(i)[1], minLoss, maxLoss, top, h - bottom));
            }
            g.drawString(curves.get(c).name(), w - right - 150, top + 20 + 18 * c);
        }
        ImageIO.write(image, "png", new File(args[0]));

        // Markdown table: step | run1 | run2 ...
        StringBuilder table = new StringBuilder("| step |");
        curves.forEach(c -> table.append(' ').append(c.name()).append(" |"));
        table.append("\n|---|").append("---|".repeat(curves.size())).append('\n');
        java.util.TreeSet<Double> steps = new java.util.TreeSet<>();
        curves.forEach(c -> c.points().forEach(p -> steps.add(p[0])));
        for (double s : steps) {
            table.append("| ").append((long) s).append(" |");
            for (Curve c : curves) {
                String cell = " ";
                for (double[] p : c.points()) {
                    if (p[0] == s) {
                        cell = String.format(Locale.ROOT, " %.3f ", p[1]);
                    }
                }
                table.append(cell).append('|');
            }
            table.append('\n');
        }
        System.out.print(table);
    }

    static int x(double step, double maxStep, int left, int right) {
        return left + (int) (step / maxStep * (right - left));
    }

    static int y(double loss, double min, double max, int top, int bottom) {
        return top + (int) ((max - loss) / (max - min) * (bottom - top));
    }
}
